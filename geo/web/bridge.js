/*
 * The one place that knows how a map inside the dashboard hands a value back to Streamlit:
 * st_folium's iframe posts Streamlit's component message to its parent. Loaded only in the
 * dashboard (geo/maps.py `selectable`), never in a file that must stand alone.
 */
(function () {
  "use strict";
  window.CorridorAtlasBridge = {
    post: function (value) {
      if (window.parent === window) { return; }  // not inside the dashboard
      window.parent.postMessage({
        isStreamlitMessage: true,
        type: "streamlit:setComponentValue",
        dataType: "json",
        value: value
      }, "*");
    }
  };
}());
