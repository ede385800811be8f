"""axe-core in the real browser: the accessibility rules run on the page as a user sees it.

axe-core comes from npm, pinned in package.json and installed under node_modules/ by
`make install-test`. `violations(page)` injects it and returns what it finds at the given impacts."""

from __future__ import annotations

from tests.support.paths import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
# Streamlit fades an element that waits for a rerun and brings it back by a CSS transition: axe-core,
# run during it, measured text at half opacity (#8c8d90 on white, 3.31:1) and failed the page.
TRANSITIONS_OVER = """() => document.getAnimations()
    .every(a => !(a instanceof CSSTransition) || a.playState !== 'running')"""


def violations(page, impacts: tuple[str, ...] = BLOCKING) -> list[dict]:
    """axe-core's violations on the page at `impacts`: [{id, impact, help, nodes: [target, summary]}],
    once no CSS transition runs (the page as it rests)."""
    if not AXE.is_file():
        raise RuntimeError(f"axe-core is not installed at {AXE}: run `make install-test` (npm ci)")
    page.wait_for_function(TRANSITIONS_OVER, timeout=15_000)
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
