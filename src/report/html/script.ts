/**
 * The leak table's sorting and filtering, inlined as plain ES2020 with no dependency. It reads only the
 * server-rendered DOM (cell text and data attributes), never builds markup from data, so evidence cannot
 * become script through it.
 */
export const SCRIPT = `(() => {
  'use strict';
  const table = document.getElementById('leaks');
  if (!table) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const text = document.getElementById('leak-filter');
  const surface = document.getElementById('leak-surface');
  const shown = document.getElementById('leak-count');
  const headers = Array.from(table.tHead.rows[0].cells);

  const key = (row, column, type) => {
    const cell = row.cells[column];
    const raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent;
    return type === 'number' ? Number(raw) : raw.toLowerCase();
  };

  headers.forEach((th, column) => {
    th.querySelector('button').addEventListener('click', () => {
      const ascending = th.getAttribute('aria-sort') !== 'ascending';
      headers.forEach((other) => other.setAttribute('aria-sort', 'none'));
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      const type = th.dataset.type;
      const sign = ascending ? 1 : -1;
      const sorted = rows.slice().sort((a, b) => {
        const x = key(a, column, type);
        const y = key(b, column, type);
        if (x < y) return -sign;
        if (x > y) return sign;
        return Number(a.cells[0].dataset.sort) - Number(b.cells[0].dataset.sort);
      });
      body.append(...sorted);
    });
  });

  const filter = () => {
    const query = text.value.trim().toLowerCase();
    const only = surface.value;
    let visible = 0;
    for (const row of rows) {
      const match = (!only || row.dataset.surface === only) && (!query || row.textContent.toLowerCase().includes(query));
      row.hidden = !match;
      if (match) visible += 1;
    }
    shown.textContent = visible + ' of ' + rows.length + ' shown';
  };
  text.addEventListener('input', filter);
  surface.addEventListener('change', filter);

  // A timeline marker links to its row: clear a filter that hides it, so the link always lands somewhere.
  const reveal = () => {
    const target = location.hash.startsWith('#leak-') ? document.getElementById(location.hash.slice(1)) : null;
    if (target && target.hidden) {
      text.value = '';
      surface.value = '';
      filter();
      target.scrollIntoView();
    }
  };
  window.addEventListener('hashchange', reveal);
})();`;
