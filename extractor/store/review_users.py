"""Users of the review app: a name, an argon2 password hash (made by the caller) and a role."""

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractor.store.models import ReviewUser


class Role(StrEnum):
    REVIEWER = "reviewer"  # may confirm and reject documents
    READONLY = "readonly"  # may look, never change anything


@dataclass(frozen=True)
class UserRecord:
    name: str
    password_hash: str
    role: Role


def save_user(session: Session, name: str, password_hash: str, role: Role) -> None:
    """Add the user, or replace the password and role of an existing one."""
    user = session.scalars(select(ReviewUser).where(ReviewUser.name == name)).first()
    if user is None:
        session.add(ReviewUser(name=name, password_hash=password_hash, role=role.value))
    else:
        user.password_hash = password_hash
        user.role = role.value


def find_user(session: Session, name: str) -> UserRecord | None:
    user = session.scalars(select(ReviewUser).where(ReviewUser.name == name)).first()
    if user is None:
        return None
    return UserRecord(user.name, user.password_hash, Role(user.role))
