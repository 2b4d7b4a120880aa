/**
 * The inspector page's style sheet. Text is #1b1b1b on white (contrast 17:1), secondary
 * text #4a4a4a (9:1); a verdict is a symbol and a word, a difference a <mark> that is
 * underlined and outlined as well as tinted, so nothing rests on colour alone.
 */
export const INSPECTOR_CSS = `
:root { color-scheme: light; --text: #1b1b1b; --muted: #4a4a4a; --line: #c9c9c9; --focus: #1a4fd6; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--text); background: #fff; }
code, pre, kbd, .base-string { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
h1 { font-size: 1.3rem; margin: 0; }
h2 { font-size: 1.1rem; margin: 0 0 .5rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
h4 { font-size: .95rem; margin: 1rem 0 .3rem; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: .5rem; top: .5rem; background: #fff; padding: .3rem .6rem; z-index: 1; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.top { display: flex; flex-wrap: wrap; gap: .4rem 1.5rem; align-items: baseline; padding: .8rem 1.2rem; border-bottom: 1px solid var(--line); background: #f6f7f9; }
.top p { margin: 0; color: var(--muted); }
main { padding: 1rem 1.2rem 2rem; }
.columns { display: grid; grid-template-columns: minmax(18rem, 26rem) minmax(0, 1fr); gap: 1.2rem; align-items: start; }
@media (max-width: 900px) { .columns { grid-template-columns: minmax(0, 1fr); } }
.help { color: var(--muted); font-size: .9rem; margin: .2rem 0 .6rem; }
kbd { border: 1px solid var(--line); border-radius: 3px; padding: 0 .25rem; background: #fafafa; }
#requests { list-style: none; margin: 0; padding: 0; max-height: 75vh; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
#requests li + li { border-top: 1px solid var(--line); }
#requests button { display: block; width: 100%; text-align: left; font: inherit; color: inherit; background: #fff; border: 0; padding: .45rem .7rem; cursor: pointer; }
#requests button:hover { background: #f2f5fb; }
#requests button[aria-current="true"] { background: #e6edfb; box-shadow: inset 4px 0 0 var(--focus); }
#requests .line { display: block; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#requests .request { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
#requests .meta { color: var(--muted); font-size: .85rem; }
.method { font-weight: 600; }
.verdict { display: inline-block; font-weight: 600; padding: 0 .4rem; border-radius: 3px; border: 1px solid; }
.verdict-verified { color: #0b5e2a; background: #e9f6ee; }
.verdict-refused { color: #9b1111; background: #fdeeee; }
.verdict-not-verified { color: #4a4a4a; background: #f1f1f1; }
.detail, .paste { border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem; min-width: 0; }
.paste { margin-top: 1.2rem; }
.summary { margin: 0 0 .5rem; }
.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .15rem .9rem; margin: .4rem 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; min-width: 0; }
.cause-name { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.difference { margin: .4rem 0; }
.columns-2 { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: .8rem; }
@media (max-width: 700px) { .columns-2 { grid-template-columns: minmax(0, 1fr); } }
figure { margin: 0; min-width: 0; }
figcaption { font-weight: 600; font-size: .9rem; margin-bottom: .2rem; }
pre { margin: 0; }
.base-string, .wire { white-space: pre-wrap; word-break: break-all; background: #f7f7f7; border: 1px solid var(--line); border-radius: 4px; padding: .5rem .6rem; line-height: 1.6; }
mark.changed { background: #ffe27a; color: #000; text-decoration: underline 2px; text-underline-offset: 3px; outline: 2px solid #8a6d00; border-radius: 2px; }
mark.missing { background: #000; color: #fff; font-family: system-ui, sans-serif; font-style: italic; font-size: .8rem; padding: 0 .3rem; border-radius: 3px; margin: 0 .15rem; }
table.parameters { border-collapse: collapse; width: 100%; }
.parameters th, .parameters td { border: 1px solid var(--line); padding: .2rem .4rem; text-align: left; vertical-align: top; }
.parameters code, .parameters mark { word-break: break-all; }
.parameters thead th { background: #f6f7f9; }
tr.first-difference th, tr.first-difference td { background: #fff8d6; }
.fields { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: .8rem; }
@media (max-width: 700px) { .fields { grid-template-columns: minmax(0, 1fr); } }
label { display: block; font-weight: 600; margin-bottom: .2rem; }
textarea { width: 100%; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; padding: .4rem; border: 1px solid #767676; border-radius: 4px; }
button[type="submit"] { margin-top: .6rem; font: inherit; font-weight: 600; padding: .35rem 1rem; border: 1px solid var(--focus); border-radius: 4px; background: var(--focus); color: #fff; cursor: pointer; }
.causes li { margin-bottom: .3rem; }
`;
