// The decision form shows the fields its kind needs: a new case's category and place, an
// escalation's "what was tried", a task's owner and due date.
(function () {
  var kind = document.getElementById("id_kind");
  if (!kind) return;
  var needs = {
    new_case: ["title", "category", "region", "entity"],
    resolve: [],
    escalate: ["tried"],
    task: ["title", "owner_member", "owner_user", "owner_department", "due_on"],
    note: []
  };
  var optional = ["title", "tried", "category", "region", "entity", "owner_member", "owner_user", "owner_department", "due_on"];
  // On the first showing, a field with an error stays visible; after the kind changes, only
  // the fields of the new kind show.
  function update(keepErrors) {
    var show = needs[kind.value] || optional;
    optional.forEach(function (name) {
      var box = document.getElementById("field-" + name);
      if (!box) return;
      var keep = keepErrors === true && box.classList.contains("has-error");
      box.hidden = show.indexOf(name) < 0 && !keep;
    });
  }
  kind.addEventListener("change", function () { update(false); });
  update(true);
})();
