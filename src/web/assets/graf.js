// graf serve's script. The page works without it: searching is a plain form and the timeline's
// bars are links. It adds: "/" focuses the search box; a search's address leaves out empty
// fields; dragging across the timeline's bars picks a range of periods; the article view brings
// its hit paragraph into view.
(function () {
  'use strict';

  var box = document.getElementById('q');
  document.addEventListener('keydown', function (event) {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || !box) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  // A search's address names only what was set: empty filters and the default sort stay out.
  var form = document.querySelector('form[role=search]');
  if (form) {
    form.addEventListener('submit', function () {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && (field.value === '' || (field.name === 'sort' && field.value === 'score'))) {
          field.disabled = true;
        }
      });
    });
    // Back to this page from the history: fields disabled on the way out are usable again.
    window.addEventListener('pageshow', function () {
      Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
    });
  }

  // A range on the timeline: press on one bar, release on another.
  var chart = document.querySelector('.timeline svg');
  if (chart) {
    var start = null;
    var dragged = false;
    var barAt = function (event) {
      var element = document.elementFromPoint(event.clientX, event.clientY);
      return element && element.closest ? element.closest('a[data-period]') : null;
    };
    chart.addEventListener('pointerdown', function (event) {
      start = barAt(event);
      dragged = false;
      if (start) event.preventDefault();
    });
    chart.addEventListener('pointerup', function (event) {
      var end = barAt(event);
      if (!start || !end || end === start) { start = null; return; }
      var a = start.getAttribute('data-period');
      var b = end.getAttribute('data-period');
      start = null;
      dragged = true;
      var params = new URLSearchParams(window.location.search);
      params.set('since', a < b ? a : b);
      params.set('until', a < b ? b : a);
      params.delete('offset');
      window.location.assign('/?' + params.toString());
    });
    chart.addEventListener('click', function (event) {
      if (dragged) event.preventDefault();
    });
  }

  // The article view: without a #pN in the address, scroll the paragraph it was opened at.
  if (!window.location.hash) {
    var current = document.querySelector('.para.current');
    if (current) current.scrollIntoView({ block: 'center' });
  }
})();
