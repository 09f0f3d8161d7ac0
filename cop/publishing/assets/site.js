/* The published toolkit: a table wider than the screen scrolls inside its frame (the theme
   wraps each table in one as the page loads). The frame takes keyboard focus, so the arrow
   keys scroll it, and is named after the table's caption or the heading above it
   (WCAG 2.1.1; axe's scrollable-region-focusable, issue 23). */
document$.subscribe(function () {
  document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (frame) {
    if (frame.hasAttribute("tabindex")) return;
    var caption = frame.querySelector("caption");
    var heading = frame.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
    var name = (caption || heading || document.querySelector("h1") || {}).textContent || "";
    frame.setAttribute("tabindex", "0");
    frame.setAttribute("role", "region");
    frame.setAttribute("aria-label", name.trim());
  });
});
