"""letters delivered: who printed a letter, and residents' answers to our questions

Revision ID: 0010_letters_delivered
Revises: 0009_request_checks
Create Date: 2026-11-27 23:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010_letters_delivered"
down_revision = "0009_request_checks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("print_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("printed_by", sa.String(length=200), nullable=True))
    op.create_table(
        "request_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=True),
        sa.Column("content_type", sa.String(length=50), nullable=True),
        sa.Column("file_size", sa.Integer(), nullable=True),
        sa.Column("file_data", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["decision_id"], ["decisions.id"],
                                name=op.f("fk_request_answers_decision_id_decisions")),
        sa.ForeignKeyConstraint(["request_id"], ["inspection_requests.id"],
                                name=op.f("fk_request_answers_request_id_inspection_requests")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_answers")),
    )
    op.create_index("ix_request_answers_request_id", "request_answers", ["request_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index("ix_request_answers_request_id", table_name="request_answers")
    op.drop_table("request_answers")
    with op.batch_alter_table("print_jobs", schema=None) as batch_op:
        batch_op.drop_column("printed_by")
