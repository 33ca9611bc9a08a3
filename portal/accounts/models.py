"""Staff accounts and their one-time recovery codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.roles import ROLES
from portal.db import Base

DEMO_DOMAIN = "demo.opnameloket.nl"


class StaffUser(Base):
    """A staff member who logs in with a password and a TOTP code.

    It also answers Flask-Login's questions (is_authenticated, get_id) without importing
    Flask-Login, so the model stays below the web layer.
    """

    __tablename__ = "staff_users"
    __table_args__ = (
        CheckConstraint("role IN ('" + "', '".join(ROLES) + "')", name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stored lower-case (see users.normalise_email), so unique means unique for people.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    totp_secret: Mapped[str] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The TOTP time step last accepted: a code of that step or an earlier one is refused,
    # so a code seen over someone's shoulder cannot be used a second time.
    last_totp_step: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the login session's user id: bumping it ends every session of the account,
    # which a signed-cookie session could not otherwise do.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime)

    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def is_active(self) -> bool:
        """Flask-Login: a deactivated account cannot be logged in."""
        return bool(self.active)

    @property
    def is_authenticated(self) -> bool:
        """Flask-Login: a loaded user is a logged-in user."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """Flask-Login: a staff user is never the anonymous user."""
        return False

    def get_id(self) -> str:
        """Flask-Login: the id kept in the session, with the session version."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_demo(self) -> bool:
        """True for the demo accounts, which must never exist in production."""
        return self.email.endswith("@" + DEMO_DOMAIN)


class RecoveryCode(Base):
    """One of a user's ten one-time recovery codes, stored as an argon2id hash."""

    __tablename__ = "staff_recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[StaffUser] = relationship(back_populates="recovery_codes")
