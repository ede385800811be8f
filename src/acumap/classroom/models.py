"""What the class store hands back: plain frozen dataclasses, for the screens and the command line."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from acumap.teach.quiz import Question


@dataclass(frozen=True)
class NewClass:
    code: str  # what students type: 6 characters without look-alikes
    teacher_key: str  # shown once; the store keeps only its hash
    join_url: str  # the link students open (and the QR code holds): BASE/?class=CODE
    expires_at: float  # seconds since the epoch


@dataclass(frozen=True)
class Joined:
    code: str
    student_key: str  # kept in the student's session and their seat link; answers are given with it
    number: int  # 1, 2, ... in the order students joined; names a student without a nickname
    nickname: str  # as stored: literal, cut to a length; may be empty


@dataclass(frozen=True)
class Step:
    """The presenter's view that students follow."""

    step: int
    region: str
    method: str
    stage: str
    lang: str
    at: float


@dataclass(frozen=True)
class AskedQuestion:
    """A question the teacher launched: `acumap.teach.quiz.make_quiz(k_in(lang), seed, size)[index]`."""

    number: int  # 1, 2, ... in the order asked; an answer names it
    index: int
    seed: int
    size: int
    lang: str  # the language of the question's words and of its choice keys
    question_id: str
    asked_at: float
    revealed: bool
    closed: bool  # the next question came before a reveal

    @property
    def accepts_answers(self) -> bool:
        return not (self.revealed or self.closed)


@dataclass(frozen=True)
class ClassView:
    """What a student's screen (and the projector) shows between polls."""

    code: str
    lang: str  # the class's language when the teacher has not set a step
    step: Step | None
    question: AskedQuestion | None
    answered: int  # answers to the current question so far
    students: int  # students joined
    mine: str | tuple[float, float] | None  # this student's answer to the current question
    poll_seconds: float


@dataclass(frozen=True)
class Share:
    """One bar of a revealed question's distribution (for a click question: right and wrong)."""

    key: str
    text: str
    count: int
    right: bool


@dataclass(frozen=True)
class Reveal:
    asked: AskedQuestion
    question: Question  # with its right answer, cites and notes
    answered: int
    right: int
    shares: tuple[Share, ...]
    clicks: tuple[tuple[float, float, bool], ...]  # a click question's answers: x, y, right


@dataclass(frozen=True)
class StudentInfo:
    number: int
    nickname: str
    joined_at: float


@dataclass(frozen=True)
class Answer:
    student: int
    nickname: str
    number: int  # the question's number in the class
    question_id: str
    prompt: str
    choice: str | None  # a choice's key; None for a click
    click: tuple[float, float] | None
    text: str  # the answer as the question shows it
    correct: bool
    at: float


@dataclass(frozen=True)
class Score:
    number: int
    nickname: str
    right: int
    answered: int


@dataclass(frozen=True)
class Status:
    code: str
    state: str  # open, ended or expired
    lang: str
    seed: int
    created_at: float
    expires_at: float
    ended_at: float | None
    students: tuple[StudentInfo, ...]
    step: Step | None
    question: AskedQuestion | None
    prompt: str | None  # the current question's words
    answered: int  # answers to the current question
    answers: tuple[Answer, ...]  # every answer so far

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code, "state": self.state, "lang": self.lang, "seed": self.seed,
            "created_at": self.created_at, "expires_at": self.expires_at, "ended_at": self.ended_at,
            "students": [asdict(s) for s in self.students],
            "step": asdict(self.step) if self.step else None,
            "question": {**asdict(self.question), "prompt": self.prompt, "answered": self.answered}
            if self.question else None,
            "answers": [{"student": a.student, "nickname": a.nickname, "question": a.number,
                         "question_id": a.question_id, "answer": a.text, "choice": a.choice,
                         "click": list(a.click) if a.click else None, "correct": a.correct} for a in self.answers],
        }
