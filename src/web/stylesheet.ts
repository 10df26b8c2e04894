/** The site's one stylesheet, served from the site itself (the CSP allows no inline styles and no third parties). */

/** Readable defaults: a measure for text, visible focus, tables that scroll on small screens, dark mode. */
export const stylesheet = `:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fdfdfd; --muted: #5a5a5a; --link: #0b57d0; --line: #d0d0d0; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8e8; --bg: #141414; --muted: #a8a8a8; --link: #8ab4f8; --line: #3a3a3a; } }
body { margin: 0 auto; max-width: 72rem; padding: 0 1rem 3rem; font: 1rem/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--link); } a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
body > a:first-child { position: absolute; left: -999px; } body > a:first-child:focus { position: static; }
header { padding: 1rem 0; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.8rem; margin: 1.5rem 0 0.25rem; overflow-wrap: anywhere; }
code { font-size: 0.9em; overflow-wrap: anywhere; color: var(--muted); }
table { border-collapse: collapse; width: 100%; display: block; overflow-x: auto; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.6rem; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
th[scope="row"] { width: 30%; font-weight: 600; }
td table { margin: 0; } td ul, nav ul { margin: 0; padding-left: 1.2rem; }
nav ul { display: flex; flex-wrap: wrap; gap: 0 1.2rem; list-style: none; padding: 0; }
input { width: 100%; max-width: 40rem; font: inherit; padding: 0.25rem; } button { font: inherit; padding: 0.3rem 1rem; }
`;
