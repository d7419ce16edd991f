/* The claim form (facts/workspace/claim_form.py): when the fact changes, show the fieldset of
   its value kind and offer its categories; give each autocomplete (select2) the name of its
   field, which select2 leaves without one. */
"use strict";
(function () {
  function shapeOf(factId, done) {
    var marker = document.getElementById("factsite-claim-shape");
    if (!marker || !factId) { return; }
    var url = marker.dataset.shapeUrl.replace(/\/0\/$/, "/" + encodeURIComponent(factId) + "/");
    fetch(url, {credentials: "same-origin"}).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (shape) { if (shape) { done(marker, shape); } });
  }

  function applyShape(marker, shape) {
    marker.dataset.valueKind = shape.value_kind;
    var select = document.getElementById("id_category");
    if (!select) { return; }
    var chosen = select.value;
    select.replaceChildren(new Option("---------", ""));
    shape.categories.forEach(function (category) {
      select.appendChild(new Option(category, category, false, category === chosen));
    });
  }

  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = document.querySelector('label[for="' + select.id + '"]');
      var container = select.nextElementSibling;
      if (!label || !container) { return; }
      label.id = label.id || select.id + "-label";
      var box = container.querySelector(".select2-selection");
      if (box) {
        var shown = box.querySelector(".select2-selection__rendered");
        box.setAttribute("aria-labelledby", label.id + (shown && shown.id ? " " + shown.id : ""));
      }
    });
  }

  function setUp() {
    nameAutocompletes();
    if (window.django && window.django.jQuery) {
      var $ = window.django.jQuery;
      $("#id_fact").on("change", function () { shapeOf(this.value, applyShape); });
      $(document).on("select2:open", function (event) {
        var label = document.querySelector('label[for="' + event.target.id + '"]');
        var search = document.querySelector(".select2-container--open .select2-search__field");
        if (search && label) { search.setAttribute("aria-label", "Search " + label.textContent.replace(/:$/, "")); }
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { window.setTimeout(setUp, 0); });
  } else {
    window.setTimeout(setUp, 0);
  }
})();
