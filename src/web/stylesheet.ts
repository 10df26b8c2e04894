/** The site's one stylesheet, served from the site itself (the CSP allows no inline styles and no third parties). */

/**
 * Readable defaults: a measure for text, visible focus, tables that scroll on small screens, dark
 * mode; colours keep at least 4.5:1 contrast (WCAG 2.1 AA) in both schemes.
 */
export const stylesheet = `:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fdfdfd; --muted: #555555; --link: #0b57d0; --line: #d0d0d0; --panel: #f1f3f6; --bar: #0b57d0; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8e8; --bg: #141414; --muted: #b0b0b0; --link: #8ab4f8; --line: #3a3a3a; --panel: #1f2125; --bar: #8ab4f8; } }
body { margin: 0 auto; max-width: 72rem; padding: 0 1rem 3rem; font: 1rem/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--link); } a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { position: static; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
header.site { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem; padding: 0.8rem 0; border-bottom: 1px solid var(--line); }
header.site .brand { font-weight: 700; font-size: 1.25rem; text-decoration: none; }
header.site nav ul { gap: 0 1rem; }
.site-search { display: flex; gap: 0.3rem; flex: 1 1 16rem; margin: 0; }
.site-search input { flex: 1; min-width: 0; }
footer.site { margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--line); color: var(--muted); font-size: 0.9rem; }
.breadcrumbs ol { display: flex; flex-wrap: wrap; list-style: none; padding: 0; margin: 0.6rem 0 0; font-size: 0.9rem; }
.breadcrumbs li + li::before { content: "›"; padding: 0 0.4rem; color: var(--muted); }
h1 { font-size: 1.8rem; margin: 1.5rem 0 0.25rem; overflow-wrap: anywhere; }
main:focus { outline: none; }
code { font-size: 0.9em; overflow-wrap: anywhere; color: var(--muted); }
table { border-collapse: collapse; width: 100%; display: block; overflow-x: auto; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.6rem; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
th[scope="row"] { width: 30%; font-weight: 600; }
td table { margin: 0; } td ul, nav ul { margin: 0; padding-left: 1.2rem; }
nav ul { display: flex; flex-wrap: wrap; gap: 0 1.2rem; list-style: none; padding: 0; }
input { width: 100%; max-width: 40rem; font: inherit; padding: 0.25rem; } button { font: inherit; padding: 0.3rem 1rem; }
.catalog { display: grid; grid-template-columns: minmax(12rem, 16rem) 1fr; gap: 2rem; align-items: start; }
@media (max-width: 48rem) { .catalog { grid-template-columns: 1fr; } }
.facets h2 { font-size: 1.1rem; } .facets h3 { font-size: 1rem; margin: 1rem 0 0.3rem; }
.facets ul { list-style: none; padding: 0; margin: 0; } .facets li { padding: 0.15rem 0; }
.facets .count { color: var(--muted); } .facets [aria-current] { font-weight: 700; }
.datasets { list-style: none; padding: 0; margin: 0; }
.datasets > li { padding: 1rem; margin-bottom: 1rem; background: var(--panel); border-radius: 0.4rem; }
.datasets h3 { margin: 0 0 0.3rem; font-size: 1.2rem; }
.meta { color: var(--muted); font-size: 0.9rem; margin: 0.3rem 0 0; }
.tags { display: flex; flex-wrap: wrap; gap: 0.3rem; list-style: none; padding: 0; margin: 0.4rem 0 0; }
.tags li a { display: inline-block; padding: 0.05rem 0.5rem; border: 1px solid var(--line); border-radius: 1rem; font-size: 0.85rem; text-decoration: none; }
.active-filters a { margin-right: 0.6rem; }
.quality-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 24rem), 1fr)); gap: 1rem 2rem; align-items: start; }
.quality-panel { margin: 0; } .quality-panel figcaption { font-weight: 600; margin-bottom: 0.3rem; }
.chart { display: block; width: 100%; max-width: 480px; height: auto; } .chart text { fill: var(--fg); } .chart rect { fill: var(--bar); }
.chart text.inside { fill: var(--bg); } .chart .axis text { fill: var(--muted); font-size: 12px; } .chart .axis line { stroke: var(--line); }
.quality-facts { display: grid; gap: 0.3rem; margin: 1rem 0; } .quality-facts div { display: flex; flex-wrap: wrap; gap: 0 0.6rem; } .quality-facts dt { font-weight: 600; } .quality-facts dd { margin: 0; }
.quality-table summary { cursor: pointer; margin: 0.5rem 0; }
.hits { padding-left: 1.2rem; } .hits li { margin: 0.4rem 0; }
.examples li { margin: 0.4rem 0; overflow-wrap: anywhere; } .examples pre { margin: 0.2rem 0; padding: 0.5rem; background: var(--panel); overflow-x: auto; font-size: 0.85rem; }
#yasgui { margin-top: 1rem; }
.yasr-chart { overflow-x: auto; padding: 0.5rem 0; }
/* Usage charts and maps (usage-chart.ts, maps/): ColorBrewer "Blues" classes, lighter to darker as use grows; in dark mode, darker to brighter. */
:root { --map-land: #dfe3e8; --map-point: #c5221f; --map0: #e8e8e8; --map1: #c6dbef; --map2: #9ecae1; --map3: #6baed6; --map4: #3182bd; --map5: #08519c; }
@media (prefers-color-scheme: dark) { :root { --map-land: #34373c; --map-point: #ff8a80; --map0: #2c2c2c; --map1: #1d3557; --map2: #24507f; --map3: #2f6fae; --map4: #4f95d6; --map5: #9cc8f5; } }
.colombia-map { margin: 0.5rem 0 1rem; } .colombia-map figcaption { font-weight: 600; }
.map { display: block; width: 100%; height: auto; } .map-large { max-width: 560px; } .map-small { max-width: 320px; }
.map .department { fill: var(--map-land); stroke: var(--bg); stroke-width: 0.8; fill-rule: evenodd; }
.map .c0 { fill: var(--map0); } .map .c1 { fill: var(--map1); } .map .c2 { fill: var(--map2); } .map .c3 { fill: var(--map3); } .map .c4 { fill: var(--map4); } .map .c5 { fill: var(--map5); }
.map .department.highlight { fill: var(--map2); stroke: var(--fg); stroke-width: 2; } .map .inset { fill: none; stroke: var(--muted); stroke-width: 1; }
.map .place { fill: var(--map-point); stroke: var(--bg); stroke-width: 1; }
.map-legend { display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; list-style: none; padding: 0; margin: 0.4rem 0; font-size: 0.9rem; }
.map-legend .swatch { display: inline-block; width: 1em; height: 1em; margin-right: 0.35rem; vertical-align: -0.15em; border: 1px solid var(--line); }
.swatch.c0 { background: var(--map0); } .swatch.c1 { background: var(--map1); } .swatch.c2 { background: var(--map2); } .swatch.c3 { background: var(--map3); } .swatch.c4 { background: var(--map4); } .swatch.c5 { background: var(--map5); }
.usage-figure { margin: 0.5rem 0; } .usage-figure figcaption { font-weight: 600; }
.usage-chart { display: block; width: 100%; max-width: 640px; height: auto; } .usage-chart text { fill: var(--fg); } .usage-chart rect { fill: var(--bar); }
.usage-chart .baseline { stroke: var(--line); } .usage-chart .axis text { fill: var(--muted); font-size: 12px; }
.usage-rank { display: flex; flex-wrap: wrap; gap: 0.3rem 0.8rem; align-items: baseline; margin: 1rem 0 0; } .usage-rank [aria-current] { font-weight: 700; }
.map-table summary, .usage-table summary { cursor: pointer; margin: 0.5rem 0; }
.usage-ranking th[scope="col"], .usage-ranking td { overflow-wrap: normal; } .usage-ranking td { white-space: nowrap; }
`;

/** The site's icon: a link of two nodes, in the link colour (SVG, so no binary asset to ship). */
export const favicon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b57d0"/><circle cx="10" cy="16" r="5" fill="#fff"/><circle cx="22" cy="16" r="5" fill="#fff"/><rect x="10" y="14.5" width="12" height="3" fill="#fff"/></svg>
`;
