"""letters: every letter issued to a resident, kept as the PDF bytes that were sent

Revision ID: 0003_letters
Revises: 0002_outbox
Create Date: 2026-11-27 04:40:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = "0003_letters"
down_revision = '0002_outbox'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("template_version", sa.String(length=30), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("subject_reference", sa.String(length=40), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.CheckConstraint("language IN ('nl', 'en')", name=op.f("ck_letters_language")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letters")),
    )
    # A download looks up the stored letter by the request's reference.
    op.create_index(
        "ix_letters_subject_reference", "letters", ["subject_reference"], unique=False
    )
    # Letters that go by post wait here until someone prints and posts them.
    op.create_table(
        "print_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("queued_by", sa.String(length=200), nullable=False),
        sa.Column("printed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["letter_id"], ["letters.id"],
                                name=op.f("fk_print_jobs_letter_id_letters")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_jobs")),
    )
    op.create_index("ix_print_jobs_letter_id", "print_jobs", ["letter_id"], unique=False)
    op.create_index("ix_print_jobs_printed_at", "print_jobs", ["printed_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_print_jobs_printed_at", table_name="print_jobs")
    op.drop_index("ix_print_jobs_letter_id", table_name="print_jobs")
    op.drop_table("print_jobs")
    op.drop_index("ix_letters_subject_reference", table_name="letters")
    op.drop_table("letters")
