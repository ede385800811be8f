"""A live class on two servers behind Debian's nginx, both on one private PostgreSQL (ACUMAP_CLASS_DB_URL),
with one server killed in the middle of the class. Every page is pinned to its server by its route cookie
(nginx hashes it), so the test knows where each websocket lives: the teacher and one student on the server
that is killed, another student on the one that survives. After the kill the surviving student's
websocket stays open and follows the teacher; the teacher reopens the teacher link (nginx sends it to the
surviving server) and steps, reveals and asks again; the surviving student answers; the answers and
students written before the kill are all still in the store. The student whose server died is back on the
survivor as themselves: their page reconnects with their seat link (`&seat=KEY`, Classroom.rejoin), so
they answer on as student 2, not as a new student."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from acumap import load_knowledge
from acumap.classroom import Classroom, load_settings
from acumap.classroom.store import ROUND_SIZE, round_questions
from acumap.teach import lesson
from acumap.teach.quiz import CLICK
from deploy.cluster import Cluster, cluster
from tests.browser.test_live_class import pick
from tests.support import classpages, postgres
from tests.support.classpages import LAPTOP, PHONE, heading, next_step_reaches, stored_step
from tests.support.live import launch_chromium, wait_idle, wait_shown
from tests.test_cluster import WATCH, new_browser, served_by

pytestmark = [pytest.mark.cluster, pytest.mark.browser, pytest.mark.timeout(600)]

SERVERS = 2
SETTLE = 60_000  # ms: what a page must show, with room for four pages and two servers on a busy 2-core machine


class Pinned:
    """A browser whose new contexts carry one route cookie (so nginx sends them to one server) and watch
    their connection state (tests.test_cluster.WATCH)."""

    def __init__(self, browser: Browser, url: str, route: str):
        self.browser, self.url, self.route = browser, url, route

    def new_context(self, **kwargs) -> BrowserContext:
        context = self.browser.new_context(**kwargs)
        context.add_cookies([{"name": "acumap_route", "value": self.route, "url": self.url}])
        context.add_init_script(WATCH)
        return context


def routes_on(c: Cluster, wanted: dict[str, int]) -> dict[str, list[str]]:
    """Route cookies nginx sends to each server (server -> routes), `wanted[server]` of each."""
    found: dict[str, list[str]] = {server: [] for server in wanted}
    for _ in range(60):  # a route hashes to either of 2 servers: 60 tries miss one with odds below 1e-15
        route, server = new_browser(c, "/")
        if len(found[server]) < wanted[server]:
            found[server].append(route)
        if all(len(found[s]) >= n for s, n in wanted.items()):
            return found
    raise AssertionError(f"nginx did not spread 60 fresh browsers over both servers: {found}")


def states(page: Page) -> list[str]:
    return page.evaluate("window.__states")


def answer(student: Page, number: int, prompt: str, choice_index: int, shown: str) -> None:
    box = student.locator(".st-key-live_question")
    expect(box).to_contain_text(prompt, timeout=SETTLE)
    box.get_by_test_id("stRadioOption").nth(choice_index).click()
    box.locator(f".st-key-live_send_{number} [data-testid^=stBaseButton]").click()
    expect(box).to_contain_text(shown, timeout=SETTLE)


@pytest.fixture
def class_db(tmp_path, monkeypatch) -> Iterator[str]:
    """A fresh database on the run's private PostgreSQL, named in the environment the servers inherit."""
    srv = postgres.require()
    name = srv.createdb()
    try:
        monkeypatch.setenv("ACUMAP_CLASS_DB_URL", srv.url(name))
        monkeypatch.setenv("ACUMAP_CLASS_POLL_SECONDS", "1")
        monkeypatch.setenv("ACUMAP_STATE_DIR", str(tmp_path / "state"))  # nothing may land in an SQLite file
        yield srv.url(name)
    finally:
        srv.dropdb(name)


def test_a_server_killed_mid_class_on_postgresql_the_class_goes_on(tmp_path, class_db: str, sync_pw) -> None:
    k = load_knowledge()
    s = k.strings
    steps = lesson.steps(k)
    store = Classroom(load_settings({"ACUMAP_CLASS_DB_URL": class_db}))
    contexts: list[BrowserContext] = []
    # A browser of its own (from the worker's Playwright): closing it, as the class ends, closes every
    # websocket at once, and nginx logs each before the cluster stops (checked after this block).
    with cluster(SERVERS, folder=tmp_path / "cluster") as c:
        browser = launch_chromium(sync_pw)
        try:
            victim, survivor = c.backends[0], c.backends[1]
            routes = routes_on(c, {victim.address: 2, survivor.address: 1})
            teacher_route, lost_route = routes[victim.address]
            kept_route = routes[survivor.address][0]

            # Before the kill: a class with two students, two steps and one question answered by both.
            teacher, code, key = classpages.start_class(Pinned(browser, c.url, teacher_route), c.url, contexts)
            kept = classpages.join(Pinned(browser, c.url, kept_route), c.url, code, "Ann", PHONE, contexts)
            lost = classpages.join(Pinned(browser, c.url, lost_route), c.url, code, "Bo", LAPTOP, contexts)
            now = stored_step(store, code, key, None)
            next_step_reaches(teacher, [kept, lost], store, code, key, now + 1, heading(s, steps[now]), SETTLE / 1000)
            status = store.status(code, key)
            qs = round_questions(status.lang, status.seed, ROUND_SIZE)
            first, second = [i for i, q in enumerate(qs) if q.kind != CLICK][:2]
            q1 = qs[first]
            pick(teacher, first, q1.prompt)
            teacher.locator(".st-key-live_ask [data-testid^=stBaseButton]").click()
            texts = [ch.text for ch in q1.choices]
            right = [ch.key for ch in q1.choices].index(q1.correct)
            wrong = next(i for i, ch in enumerate(q1.choices) if ch.key != q1.correct)
            answer(kept, 1, q1.prompt, right, s.get("live.your_answer", answer=texts[right]))
            answer(lost, 1, q1.prompt, wrong, s.get("live.your_answer", answer=texts[wrong]))
            expect(teacher.locator(".st-key-live_class")).to_contain_text(
                s.get("live.answered_question", number=1, n=2, of=2), timeout=SETTLE)
            before = {(a.student, a.nickname, a.number, a.choice, a.correct, a.at) for a in store.answers(code, key)}
            assert {(a[0], a[2], a[4]) for a in before} == {(1, 1, True), (2, 1, False)}, before
            kept_states, lost_states = len(states(kept)), len(states(lost))
            teacher_states = len(states(teacher))

            victim.process.kill()  # SIGKILL: no goodbye to any session
            victim.process.wait()

            # The teacher's page notices and reconnects through nginx to the survivor, without its teacher
            # session (the key lived in the dead server); the teacher reopens the teacher link.
            teacher.wait_for_function(
                """n => window.__states.slice(n).some(s => s !== 'CONNECTED')
                       && window.__states[window.__states.length - 1] === 'CONNECTED'""", arg=teacher_states)
            teacher.goto(f"{c.url}/?mode=present&teach={code}.{key}", timeout=SETTLE * 3)
            wait_shown(teacher, ".st-key-present_view .main-svg", timeout=SETTLE * 3)
            wait_idle(teacher, timeout=SETTLE)
            current = teacher.locator(".st-key-live_current")
            expect(current).to_contain_text(s.get("live.question", n=1, prompt=q1.prompt), timeout=SETTLE)
            expect(teacher.locator(".st-key-live_class")).to_contain_text(
                s.get("live.answered_question", number=1, n=2, of=2), timeout=SETTLE)

            # Reveal: the surviving student's page (same websocket) is told it was right.
            classpages.reveal(teacher, store, code, key)
            expect(current).to_contain_text(s.get("live.revealed_right", answer=q1.correct_text), timeout=SETTLE)
            expect(kept.locator(".st-key-live_question")).to_contain_text(s.get("live.right"), timeout=SETTLE)

            # Step: the reopened presenter is at the class's step (not the lesson's first, which it would have
            # sent to every student); the next one reaches the surviving student.
            assert stored_step(store, code, key, None) == now + 1
            expect(teacher.locator(".st-key-present_numbers")).to_contain_text(
                s.get("present.step", n=now + 1, count=len(steps)))
            classpages.expect_everyone([kept], heading(s, steps[now]), SETTLE / 1000)
            next_step_reaches(teacher, [kept], store, code, key, now + 2, heading(s, steps[now + 1]), SETTLE / 1000)

            # Ask again: the surviving student answers; the board counts it.
            q2 = qs[second]
            pick(teacher, second, q2.prompt)
            teacher.locator(".st-key-live_ask [data-testid^=stBaseButton]").click()
            expect(current).to_contain_text(s.get("live.question", n=2, prompt=q2.prompt), timeout=SETTLE)
            texts2 = [ch.text for ch in q2.choices]
            right2 = [ch.key for ch in q2.choices].index(q2.correct)
            answer(kept, 2, q2.prompt, right2, s.get("live.your_answer", answer=texts2[right2]))

            # The student whose server died: their page reconnected to the survivor with its seat link, so
            # it is Bo again, student 2, with no join form.
            expect(lost.get_by_text(s.get("live.you_are", name="Bo"))).to_be_visible(timeout=SETTLE)
            assert lost.locator(".st-key-live_nickname input").count() == 0
            answer(lost, 2, q2.prompt, right2, s.get("live.your_answer", answer=texts2[right2]))
            expect(teacher.locator(".st-key-live_class")).to_contain_text(
                s.get("live.answered_question", number=2, n=2, of=2), timeout=SETTLE)
            classpages.reveal(teacher, store, code, key)
            expect(current).to_contain_text(s.get("live.revealed_right", answer=q2.correct_text), timeout=SETTLE)
            for page in (kept, lost):
                expect(page.locator(".st-key-live_question")).to_contain_text(s.get("live.right"), timeout=SETTLE)

            # The surviving student's websocket never dropped; the other one dropped and came back (on the
            # survivor: its answer to question 2 is in the store below, as student 2's).
            assert set(states(kept)[kept_states:]) <= {"CONNECTED"}, states(kept)
            assert set(states(lost)[lost_states:]) - {"CONNECTED"} and states(lost)[-1] == "CONNECTED", states(lost)
            for page in (teacher, kept, lost):
                assert page.get_by_test_id("stException").count() == 0
                assert page.js_errors == [], page.js_errors

            # Nothing written before the kill was lost: both students, and both answers to question 1.
            status = store.status(code, key)
            assert [(st.number, st.nickname) for st in status.students] == [(1, "Ann"), (2, "Bo")]
            after = {(a.student, a.nickname, a.number, a.choice, a.correct, a.at) for a in store.answers(code, key)}
            assert before <= after, (before, after)  # the same rows, down to the time each was given
            assert {(a[0], a[2]) for a in after - before} == {(1, 2), (2, 2)}, after
        finally:
            for context in contexts:
                context.close()
            browser.close()
            store.close()
    # Where the websockets lived (nginx logs one when it closes): the surviving student's one, all along
    # on the survivor; the teacher's and the lost student's first on the killed server, then the survivor.
    assert served_by(c, kept_route, "/_stcore/stream") == [survivor.address]
    for route in (teacher_route, lost_route):
        streams = served_by(c, route, "/_stcore/stream", count=2)
        assert streams[0] == victim.address and set(streams[1:]) == {survivor.address}, streams
    # The teacher's and the students' links carry keys (teach=CODE.KEY, seat=KEY): nginx logs each request's
    # path without its query, so its access log, which logged every page open above, holds none of them.
    logged = (c.folder / "access.log").read_text(encoding="utf-8")
    assert '"GET / HTTP/1.1"' in logged
    assert key not in logged and "teach=" not in logged and "seat=" not in logged and "class=" not in logged
