/* The article page: a click on a marked wording opens its claim; selected words become a new
   claim, with the offsets counted in characters of the stored text (code points, as Python
   counts them, not UTF-16 units). */
(function () {
  "use strict";

  function offsetWithin(container, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return Array.from(range.toString()).length;
  }

  function setUp(container) {
    var button = null;

    function hide() {
      if (button) { button.remove(); button = null; }
    }

    container.addEventListener("click", function (event) {
      var mark = event.target.closest("mark.claim[data-href]");
      if (mark && window.getSelection().isCollapsed) { window.location.href = mark.dataset.href; }
    });

    document.addEventListener("mouseup", function (event) {
      // A click on the link itself ends with a mouseup: keep the link for the click.
      if (button && button.contains(event.target)) { return; }
      var selection = window.getSelection();
      hide();
      if (!selection || selection.isCollapsed || selection.rangeCount === 0) { return; }
      var range = selection.getRangeAt(0);
      if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) { return; }
      var start = offsetWithin(container, range.startContainer, range.startOffset);
      var end = offsetWithin(container, range.endContainer, range.endOffset);
      var wording = Array.from(container.textContent).slice(start, end).join("");
      if (!wording.trim()) { return; }
      var params = new URLSearchParams({
        article: container.dataset.article, wording: wording, start: start, end: end, status: "draft"
      });
      button = document.createElement("a");
      button.className = "factsite-selection";
      button.href = container.dataset.addUrl + "?" + params.toString();
      button.textContent = "Make a claim of “" + (wording.length > 40 ? wording.slice(0, 39) + "…" : wording) + "”";
      var box = range.getBoundingClientRect();
      button.style.left = (window.scrollX + box.left) + "px";
      button.style.top = (window.scrollY + box.bottom + 6) + "px";
      document.body.appendChild(button);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".factsite-article").forEach(setUp);
  });
})();
