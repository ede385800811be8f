"""axe-core in the real browser: the accessibility rules run on the page as a user sees it.

axe-core comes from npm, pinned in package.json and installed under node_modules/ by
`make install-test`. `violations(page)` injects it and returns what it finds at the given impacts."""

from __future__ import annotations

from tests.support.paths import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
# Streamlit fades an element that waits for a rerun and brings it back by a CSS transition: axe-core,
# run during it, measured text at half opacity (#8c8d90 on white, 3.31:1) and failed the page. Waiting
# for no running transition was not enough (a CI-style run failed so on the compare panel): a click's
# rerun can start after the page has looked idle, since the click is sent first and answered later. So
# the page must stay at rest for QUIET_MS: connected, no script running, no element waiting for a rerun
# (data-stale), no CSS transition running. Resolves false if it never does within MAX_MS.
QUIET_MS, MAX_MS = 400, 20_000
AT_REST = """([quiet, most]) => new Promise(done => {
    const start = performance.now();
    let since = start;
    const busy = () => !document.querySelector(
            '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]')
        || document.querySelector('[data-stale="true"]')
        || document.getAnimations().some(a => a instanceof CSSTransition && a.playState === 'running');
    const tick = () => {
        const now = performance.now();
        if (busy()) since = now;
        if (now - since >= quiet) done(true);
        else if (now - start > most) done(false);
        else setTimeout(tick, 25);
    };
    tick();
})"""


def violations(page, impacts: tuple[str, ...] = BLOCKING) -> list[dict]:
    """axe-core's violations on the page at `impacts`: [{id, impact, help, nodes: [target, summary]}],
    once the page is at rest (AT_REST): as a user reads it."""
    if not AXE.is_file():
        raise RuntimeError(f"axe-core is not installed at {AXE}: run `make install-test` (npm ci)")
    if not page.evaluate(AT_REST, [QUIET_MS, MAX_MS]):
        raise AssertionError(f"the page did not come to rest for {QUIET_MS} ms within {MAX_MS / 1000:.0f} s")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async impacts => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.filter(v => impacts.includes(v.impact)).map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => [n.target.join(' '), (n.failureSummary || '').slice(0, 300)]),
            }));
        }""",
        list(impacts),
    )


def report(found: list[dict]) -> str:
    lines = []
    for v in found:
        lines.append(f"{v['impact']} {v['id']}: {v['help']}")
        lines += [f"    {target}\n      {summary}" for target, summary in v["nodes"][:5]]
    return "\n".join(lines)
