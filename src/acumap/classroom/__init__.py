"""A live class: the teacher's steps and questions reach every student's phone, answers come back.

A pure store over SQLAlchemy Core (no Streamlit): SQLite in a state folder by default, PostgreSQL when
ACUMAP_CLASS_DB_URL names one (needed when more than one server runs). See store.Classroom.

Layer 4: may import every layer below (data, style, plan, protocol, charts, teach); not html or output
beside it.
"""

from acumap.classroom.errors import ClassError, SettingsError, StoreError
from acumap.classroom.models import (
                                     Answer,
                                     AskedQuestion,
                                     ClassView,
                                     Joined,
                                     NewClass,
                                     Reveal,
                                     Score,
                                     Share,
                                     Status,
                                     Step,
                                     StudentInfo,
)
from acumap.classroom.qr import join_qr_svg
from acumap.classroom.settings import Settings, load_settings
from acumap.classroom.store import Classroom

__all__ = ["Answer", "AskedQuestion", "ClassError", "ClassView", "Classroom", "Joined", "NewClass", "Reveal",
           "Score", "Settings", "SettingsError", "Share", "Status", "Step", "StoreError", "StudentInfo",
           "join_qr_svg", "load_settings"]
