/* The article page, by mouse and by keyboard.

   - A marked wording is a button (facts.domain.highlight): a click, Enter or Space opens its
     claim; where wordings overlap it lists every claim under it, with links read from the
     article's claim list (rows with data-claim).
   - Selected words, by mouse or by Shift and the arrow keys, open a claim card beside the
     article (a sheet at the foot of a phone's screen) with the sentence they stand in and a
     link to the claim form, prefilled as ?article=&wording=&start=&end=&status=draft. The
     offsets are counted in characters of the stored text (code points, as Python counts
     them, not UTF-16 units). Enter in the article moves to the card's link. */
(function () {
  "use strict";

  function offsetWithin(container, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return Array.from(range.toString()).length;
  }

  function shortened(text, limit) {
    return text.length > limit ? text.slice(0, limit - 1) + "…" : text;
  }

  /* Whether a sentence ends at chars[i]: a line break, or a full stop, question or
     exclamation mark followed by a space and a capital or a quote ("Feb. 20" goes on). */
  function endsSentence(chars, i) {
    if (chars[i] === "\n") { return true; }
    if (!/[.!?]/.test(chars[i])) { return false; }
    var next = chars.slice(i + 1, i + 3).join("");
    return i + 1 >= chars.length || /^\s*$/.test(next) || /^\s["“‘A-Z\u00C0-\u024F]/.test(next);
  }

  /* The sentence around [start, end) of the text (as code points). */
  function sentenceAround(chars, start, end) {
    var from = start;
    while (from > 0 && !endsSentence(chars, from - 1)) { from -= 1; }
    var to = end;
    while (to < chars.length && !endsSentence(chars, to)) { to += 1; }
    to = Math.min(chars.length, to + 1);
    return { before: chars.slice(from, start).join("").trimStart(), words: chars.slice(start, end).join(""), after: chars.slice(end, to).join("").trimEnd() };
  }

  function element(tag, attributes, text) {
    var made = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { made.setAttribute(name, attributes[name]); });
    if (text) { made.textContent = text; }
    return made;
  }

  function setUp(container) {
    var slot = container.parentElement.querySelector(".factsite-card-slot") || document.body;
    var card = null;
    var popover = null;
    var shown = null; // the selection the card shows: "start:end"

    function hideCard() {
      if (card) { card.remove(); card = null; shown = null; }
    }

    function hidePopover(returnTo) {
      if (popover) { popover.remove(); popover = null; }
      if (returnTo) { returnTo.focus(); }
    }

    /* Overlapping marks: the list of their claims, each a link to its form. */
    function listClaims(mark) {
      hidePopover();
      var ids = mark.dataset.claims.split(",");
      popover = element("div", { "class": "factsite-popover", role: "dialog", "aria-label": "Claims on these words" });
      popover.appendChild(element("p", {}, ids.length + " claims on these words:"));
      var list = element("ul");
      ids.forEach(function (id) {
        var row = document.querySelector('tr[data-claim="' + id + '"]');
        var link = element("a", { href: row ? row.querySelector("a").href : mark.dataset.href.replace(/\/\d+\//, "/" + id + "/") });
        var cells = row ? Array.from(row.cells).map(function (cell) { return cell.textContent; }) : ["claim " + id];
        link.textContent = cells[0] + (cells.length > 2 ? " — " + cells[1] + ": " + cells[2] + " (" + cells[4] + ")" : "");
        var item = element("li");
        item.appendChild(link);
        list.appendChild(item);
      });
      popover.appendChild(list);
      var close = element("button", { type: "button", "class": "close" }, "Close");
      close.addEventListener("click", function () { hidePopover(mark); });
      popover.appendChild(close);
      popover.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { event.preventDefault(); hidePopover(mark); }
      });
      var box = mark.getBoundingClientRect();
      popover.style.left = Math.max(8, Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - 340)) + "px";
      popover.style.top = (window.scrollY + box.bottom + 6) + "px";
      document.body.appendChild(popover);
      popover.querySelector("a").focus();
    }

    function openMark(mark) {
      if (mark.dataset.claims.indexOf(",") === -1 && mark.dataset.href) {
        window.location.href = mark.dataset.href;
      } else {
        listClaims(mark);
      }
    }

    container.addEventListener("click", function (event) {
      var mark = event.target.closest("mark.claim[data-claims]");
      if (mark && window.getSelection().isCollapsed) { openMark(mark); }
    });

    /* Shift and an arrow key extend the selection (by word with Ctrl or Alt), from the caret,
       or from the start of the focused mark: a page's text is not editable, and browsers
       differ in whether their own keys select in it. */
    var steps = {
      ArrowRight: ["forward", "character"], ArrowLeft: ["backward", "character"],
      ArrowDown: ["forward", "line"], ArrowUp: ["backward", "line"],
      End: ["forward", "lineboundary"], Home: ["backward", "lineboundary"]
    };

    function extendSelection(event, mark) {
      var selection = window.getSelection();
      if (!selection.modify) { return false; }
      if (selection.rangeCount === 0 || !container.contains(selection.anchorNode)) {
        var from = document.createTreeWalker(mark || container, NodeFilter.SHOW_TEXT).nextNode();
        if (!from) { return false; }
        selection.collapse(from, 0);
      }
      var step = steps[event.key];
      var by = (event.ctrlKey || event.altKey) && step[1] === "character" ? "word" : step[1];
      selection.modify("extend", step[0], by);
      return true;
    }

    container.addEventListener("keydown", function (event) {
      var mark = event.target.closest && event.target.closest("mark.claim[data-claims]");
      if (event.shiftKey && steps[event.key]) {
        if (extendSelection(event, mark)) { event.preventDefault(); }
      } else if (mark && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        openMark(mark);
      } else if (event.target === container && event.key === "Enter" && card) {
        event.preventDefault();
        card.querySelector("a.factsite-selection").focus();
      } else if (event.key === "Escape") {
        hideCard();
      }
    });

    /* Focused by Tab, the article puts the caret at its start, so that Shift and the arrow
       keys select from there (a page's text has no caret of its own). */
    container.addEventListener("focus", function () {
      var selection = window.getSelection();
      if (selection.rangeCount === 0 || !container.contains(selection.anchorNode)) {
        var first = document.createTreeWalker(container, NodeFilter.SHOW_TEXT).nextNode();
        if (first) { selection.collapse(first, 0); }
      }
    });

    function showSelection() {
      var selection = window.getSelection();
      if (!selection || selection.isCollapsed || selection.rangeCount === 0) { return; }
      var range = selection.getRangeAt(0);
      if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) { return; }
      var start = offsetWithin(container, range.startContainer, range.startOffset);
      var end = offsetWithin(container, range.endContainer, range.endOffset);
      var chars = Array.from(container.textContent);
      var wording = chars.slice(start, end).join("");
      if (!wording.trim()) { return; }
      if (shown === start + ":" + end) { return; }
      hideCard();
      hidePopover();
      shown = start + ":" + end;
      var params = new URLSearchParams({
        article: container.dataset.article, wording: wording, start: start, end: end, status: "draft"
      });
      var sentence = sentenceAround(chars, start, end);
      card = element("aside", { "class": "factsite-card", role: "region", "aria-label": "New claim" });
      card.appendChild(element("h3", {}, "New claim"));
      var quoted = element("p", { "class": "sentence" });
      quoted.appendChild(document.createTextNode(sentence.before));
      quoted.appendChild(element("strong", {}, sentence.words));
      quoted.appendChild(document.createTextNode(sentence.after));
      card.appendChild(quoted);
      var actions = element("div", { "class": "actions" });
      var link = element("a", { "class": "factsite-selection", href: container.dataset.addUrl + "?" + params.toString() });
      link.textContent = "Make a claim of “" + shortened(wording, 40) + "”";
      actions.appendChild(link);
      var close = element("button", { type: "button", "class": "close" }, "Close");
      close.addEventListener("click", function () { hideCard(); container.focus(); });
      actions.appendChild(close);
      card.appendChild(actions);
      card.appendChild(element("p", { "class": "card-help" }, "Enter in the text moves here; Escape closes."));
      card.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { hideCard(); container.focus(); }
      });
      // Beside the selection where the card has a column of its own (CSS moves it to the
      // foot of the screen on a phone).
      var top = range.getBoundingClientRect().top - slot.getBoundingClientRect().top;
      card.style.top = Math.max(0, top) + "px";
      slot.appendChild(card);
    }

    // Each way a selection is made: a mouse's release, a key's (Shift and an arrow), and any
    // other (a touch's handles, select-all), settled for a moment.
    var settle = null;
    document.addEventListener("selectionchange", function () {
      window.clearTimeout(settle);
      settle = window.setTimeout(showSelection, 150);
    });
    document.addEventListener("mouseup", function (event) {
      if (card && card.contains(event.target)) { return; }
      window.setTimeout(showSelection, 0);
    });
    container.addEventListener("keyup", showSelection);

    document.addEventListener("mousedown", function (event) {
      if (popover && !popover.contains(event.target)) { hidePopover(); }
    });
  }

  /* The admin's autocomplete boxes (select2) name their combobox by the selected option's
     text, so an empty one has no name: name each by its field's label. Run at "load", after
     the admin has made them (on jQuery's ready). */
  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      if (!label) { return; }
      var name = label.textContent.replace(/:\s*$/, "").trim();
      select.parentElement.querySelectorAll(
        '.select2-selection[role="combobox"], .select2-selection__rendered[role="textbox"]'
      ).forEach(function (box) {
        if (!box.hasAttribute("aria-label")) { box.setAttribute("aria-label", name); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".factsite-article").forEach(setUp);
  });
  // After the admin's own ready handlers, whichever comes last.
  window.addEventListener("load", function () {
    nameAutocompletes();
    if (window.django && window.django.jQuery) { window.django.jQuery(nameAutocompletes); }
    window.setTimeout(nameAutocompletes, 0);
  });
})();
