/// The UI's stylesheet and script, served by the binary under `/assets/` (no build step, no CDN).
enum WebAssets {
    /// The response for `/assets/{name}`, or nil for an unknown name.
    static func content(named name: String) -> (body: String, contentType: String)? {
        switch name {
        case "app.css": return (stylesheet, "text/css; charset=utf-8")
        case "app.js": return (script, "text/javascript; charset=utf-8")
        default: return nil
        }
    }

    /// Colours meet WCAG AA contrast on their backgrounds; focus is always visible.
    static let stylesheet = #"""
        :root { --ink: #1b1f24; --muted: #4a5360; --line: #c9d1da; --bg: #f6f8fa; --card: #ffffff;
          --accent: #0b5cad; --accent-ink: #ffffff; --danger: #a4161a; --ok: #1a6b35;
          --elite: #1a6b35; --high: #0b5cad; --medium: #8a5a00; --low: #a4161a; --none: #4a5360; }
        * { box-sizing: border-box; }
        html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
          color: var(--ink); background: var(--bg); line-height: 1.45; }
        body { margin: 0; }
        a { color: var(--accent); }
        a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible,
        [tabindex]:focus-visible { outline: 3px solid #e8a200; outline-offset: 2px; }
        .skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem; }
        .skip:focus { left: .5rem; }
        .visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
          clip: rect(0 0 0 0); white-space: nowrap; border: 0; padding: 0; margin: -1px; }
        header.site { background: #14324f; color: #fff; display: flex; flex-wrap: wrap; align-items: center;
          gap: 1rem; padding: .6rem 1.5rem; }
        header.site .brand { font-weight: 700; font-size: 1.15rem; color: #fff; text-decoration: none; }
        header.site nav ul { list-style: none; display: flex; gap: .25rem; margin: 0; padding: 0; }
        header.site nav a { color: #fff; text-decoration: none; padding: .35rem .7rem; border-radius: 4px; display: inline-block; }
        header.site nav a[aria-current="page"], header.site nav a:hover { background: #2a5580; }
        header.site .who { margin-left: auto; display: flex; align-items: center; gap: .75rem; font-size: .95rem; }
        header.site .who button { background: transparent; color: #fff; border: 1px solid #9fb7cf; }
        main { max-width: 1200px; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; }
        h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
        h2 { font-size: 1.25rem; margin: 1.75rem 0 .75rem; }
        h3 { font-size: 1.05rem; margin: 1rem 0 .5rem; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin-bottom: 1rem; }
        .narrow { max-width: 460px; margin: 3rem auto; }
        label { display: block; font-weight: 600; margin-bottom: .25rem; }
        .hint { color: var(--muted); font-size: .9rem; margin: .25rem 0 .5rem; }
        input[type=text], input[type=password], input[type=date], select { font: inherit; padding: .45rem .6rem;
          border: 1px solid #6b7785; border-radius: 4px; background: #fff; color: var(--ink); min-width: 12rem; }
        input[type=password] { width: 100%; }
        button, .button { font: inherit; font-weight: 600; padding: .45rem 1rem; border-radius: 4px; border: 1px solid var(--accent);
          background: var(--accent); color: var(--accent-ink); cursor: pointer; text-decoration: none; display: inline-block; }
        button.secondary, .button.secondary { background: #fff; color: var(--accent); }
        button.danger { background: var(--danger); border-color: var(--danger); color: #fff; }
        .row { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; }
        .row > div { display: flex; flex-direction: column; }
        .inline { display: inline; }
        .error { border-left: 4px solid var(--danger); background: #fdecec; padding: .6rem .9rem; margin: .75rem 0; color: #6d0f12; }
        .notice { border-left: 4px solid var(--ok); background: #e9f5ec; padding: .6rem .9rem; margin: .75rem 0; }
        .warning { border-left: 4px solid var(--medium); background: #fdf4e3; padding: .6rem .9rem; margin: .75rem 0; }
        table { border-collapse: collapse; width: 100%; background: var(--card); }
        th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: #eef2f6; font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88rem; }
        pre { background: #0f1b27; color: #e6edf3; padding: .75rem 1rem; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; margin: .25rem 0 .5rem; }
        .snippet { position: relative; }
        .snippet .copy { position: absolute; top: .35rem; right: .35rem; font-size: .8rem; padding: .2rem .6rem; }
        .key { word-break: break-all; background: #fff8db; border: 1px solid #e8c547; padding: .5rem 5rem .5rem .5rem; border-radius: 4px; font-family: ui-monospace, Menlo, Consolas, monospace; }
        .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(270px, 1fr)); gap: 1rem; }
        .tile { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .9rem 1rem; }
        .tile h3 { margin: 0 0 .35rem; font-size: 1rem; }
        .tile .value { font-size: 1.6rem; font-weight: 700; margin: .1rem 0; }
        .tile .unit { font-size: .95rem; font-weight: 400; color: var(--muted); }
        .tile .meta { color: var(--muted); font-size: .9rem; margin: .15rem 0; }
        .tier { display: inline-block; padding: .1rem .55rem; border-radius: 999px; font-size: .85rem; font-weight: 700; color: #fff; }
        .tier-elite { background: var(--elite); } .tier-high { background: var(--high); }
        .tier-medium { background: var(--medium); } .tier-low { background: var(--low); }
        .tier-none { background: #fff; color: var(--none); border: 1px solid var(--none); }
        svg.chart { width: 100%; height: auto; display: block; margin-top: .4rem; }
        svg.chart .axis { stroke: #6b7785; stroke-width: 1; }
        svg.chart .grid { stroke: #dde3ea; stroke-width: 1; }
        svg.chart .line { fill: none; stroke: var(--accent); stroke-width: 2; }
        svg.chart .dot { fill: var(--accent); }
        svg.chart .bar { fill: #7fa8d1; }
        svg.chart text { font-size: 10px; fill: #3d4651; }
        .filters { margin: 0 0 1rem; }
        .pager { margin: 1rem 0; display: flex; gap: 1rem; }
        .muted { color: var(--muted); }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
        dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; word-break: break-all; }
        ul.plain { list-style: none; padding: 0; margin: 0; }
        ul.plain li { margin: .15rem 0; }
        [hidden] { display: none !important; }
        """#

    /// Copy buttons, list filters, and replacing a one-time page's address in the history so that
    /// reloading it shows the stored page instead of posting again. No inline script anywhere.
    static let script = #"""
        (function () {
          "use strict";
          var replace = document.body.getAttribute("data-replace-url");
          if (replace && window.history && window.history.replaceState) {
            window.history.replaceState(null, "", replace);
          }
          function copy(text, button) {
            function done() {
              var label = button.textContent;
              button.textContent = "Copied";
              setTimeout(function () { button.textContent = label; }, 1500);
            }
            if (navigator.clipboard && window.isSecureContext) {
              navigator.clipboard.writeText(text).then(done, function () {});
            } else {
              var area = document.createElement("textarea");
              area.value = text;
              document.body.appendChild(area);
              area.select();
              try { document.execCommand("copy"); done(); } catch (e) {}
              document.body.removeChild(area);
            }
          }
          document.querySelectorAll("button[data-copy]").forEach(function (button) {
            button.hidden = false;
            button.addEventListener("click", function () {
              var target = document.getElementById(button.getAttribute("data-copy"));
              if (target) { copy(target.textContent, button); }
            });
          });
          document.querySelectorAll("input[data-filter]").forEach(function (input) {
            var table = document.getElementById(input.getAttribute("data-filter"));
            input.parentElement.hidden = false;
            input.addEventListener("input", function () {
              var needle = input.value.toLowerCase();
              table.querySelectorAll("tbody tr").forEach(function (row) {
                row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) === -1;
              });
            });
          });
        })();
        """#
}
