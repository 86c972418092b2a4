// Menu sections: opening one closes the others; a click elsewhere closes them all.
document.addEventListener("toggle", (event) => {
  const opened = event.target;
  if (!opened.classList || !opened.classList.contains("navgroup") || !opened.open) return;
  document.querySelectorAll("details.navgroup[open]").forEach((d) => { if (d !== opened) d.open = false; });
}, true);
document.addEventListener("click", (event) => {
  if (event.target.closest("details.navgroup")) return;
  document.querySelectorAll("details.navgroup[open]").forEach((d) => { d.open = false; });
});
