/* "Nearest first": ask the phone for its position, then reload the list sorted by distance.
 * The position goes only to this site, in the address of the page. */
(function () {
  "use strict";
  var button = document.getElementById("locate");
  var status = document.getElementById("locate-status");
  var form = document.getElementById("point-filters");
  if (!button || !navigator.geolocation) { if (button) button.hidden = true; return; }
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (pos) {
      var q = new URLSearchParams(new FormData(form));
      q.set("lat", pos.coords.latitude.toFixed(5));
      q.set("lon", pos.coords.longitude.toFixed(5));
      window.location.search = q.toString();
    }, function () {
      button.disabled = false;
      status.textContent = button.dataset.error;
    }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 });
  });
})();
