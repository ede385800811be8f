"""The tables of the class store (SQLAlchemy Core) and the version check made when a store opens.

Times are seconds since the epoch (floats), the same on SQLite and PostgreSQL and on every server.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Integer, MetaData, String, Table, Text, UniqueConstraint

SCHEMA_VERSION = 1  # raise it with every change to the tables below

metadata = MetaData()

meta = Table(
    "acumap_meta", metadata,
    Column("name", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
)

classes = Table(
    "acumap_classes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(6), nullable=False, unique=True),
    Column("key_hash", String(64), nullable=False),
    Column("lang", String(8), nullable=False),
    Column("seed", Integer, nullable=False),  # the quiz round the class asks from
    Column("size", Integer, nullable=False),  # questions in that round
    Column("joined", Integer, nullable=False, default=0),  # students so far: numbers them
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("ended_at", Float),
)

students = Table(
    "acumap_students", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("class_id", Integer, ForeignKey("acumap_classes.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("nickname", Text, nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("joined_at", Float, nullable=False),
    UniqueConstraint("class_id", "number"),
)

steps = Table(
    "acumap_steps", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("class_id", Integer, ForeignKey("acumap_classes.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("step", Integer, nullable=False),
    Column("region", String(40), nullable=False),
    Column("method", String(40), nullable=False),
    Column("stage", String(10), nullable=False),
    Column("lang", String(8), nullable=False),
    Column("at", Float, nullable=False),
)

questions = Table(
    "acumap_questions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("class_id", Integer, ForeignKey("acumap_classes.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("number", Integer, nullable=False),  # 1, 2, ... in the order asked
    Column("seed", Integer, nullable=False),
    Column("size", Integer, nullable=False),
    Column("idx", Integer, nullable=False),  # make_quiz(k, seed, size)[idx]
    Column("lang", String(8), nullable=False),  # a choice's key is in this language
    Column("question_id", String(80), nullable=False),  # quiz.Question.id, to check the round is unchanged
    Column("asked_at", Float, nullable=False),
    Column("revealed_at", Float),
    Column("closed_at", Float),  # the next question came before a reveal
    UniqueConstraint("class_id", "number"),
)

answers = Table(
    "acumap_answers", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("question_id", Integer, ForeignKey("acumap_questions.id", ondelete="CASCADE"), nullable=False),
    Column("student_id", Integer, ForeignKey("acumap_students.id", ondelete="CASCADE"), nullable=False),
    Column("choice", Text),  # a choice's key, or None for a click
    Column("x", Float),  # a click, in drawing coordinates
    Column("y", Float),
    Column("is_right", Boolean, nullable=False),
    Column("at", Float, nullable=False),
    UniqueConstraint("question_id", "student_id"),  # one answer per student and question: the last one
)
