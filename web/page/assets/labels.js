// Ward names: HTML markers at each ward's label point (label_lon,
// label_lat in the wards' values document), so the map needs no glyphs;
// shown from zoom 11 while their box in Layers is ticked. The names also go
// to state.wardNames for the panels' ward lists.
(function () {
  'use strict';
  const { map, state, api, fail, on } = window.placeteam;
  const minZoom = 11;
  let markers = [];
  let loaded = false;

  const toggle = document.createElement('input');
  toggle.type = 'checkbox'; toggle.checked = true; toggle.id = 'toggle-ward-names';
  const label = document.createElement('label');
  label.append(toggle, document.createTextNode(' Ward names'));
  document.getElementById('layer-toggles').append(label);

  function show() {
    const visible = toggle.checked && map.getZoom() >= minZoom;
    for (const m of markers) m.getElement().hidden = !visible;
  }

  // Ward names and places do not change with the version: read once.
  async function load() {
    const url = state.values && state.values.wards;
    if (loaded || !url) return;
    loaded = true;
    const doc = await api(url);
    state.wardNames = {};
    for (const [code, row] of Object.entries(doc.values)) if (row.name) state.wardNames[code] = row.name;
    window.placeteam.namesKnown(); // the panels' ward lists name the wards
    for (const [code, row] of Object.entries(doc.values)) {
      if (typeof row.label_lon !== 'number' || typeof row.label_lat !== 'number') continue;
      const el = document.createElement('div');
      el.className = 'ward-label';
      el.dataset.ward = code;
      el.textContent = row.name || code;
      markers.push(new maplibregl.Marker({ element: el, anchor: 'center' }).setLngLat([row.label_lon, row.label_lat]).addTo(map));
    }
    show();
  }

  on('version', () => load().catch((e) => { loaded = false; fail(e); }));
  map.on('zoomend', show);
  toggle.addEventListener('change', show);
  window.placeteam.wardNames = { get markers() { return markers; }, show };
})();
