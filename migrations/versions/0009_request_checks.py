"""request checks: status, channel and request type hold only the values the code knows

Revision ID: 0009_request_checks
Revises: 0008_capacity
Create Date: 2026-11-27 22:35:00
"""

from alembic import op


# Written out here, not imported: a migration must not change when the code does.
STATUSES = ("received", "urgent", "linked", "in_programme", "awaiting_information",
            "accepted_inspection", "accepted_reassessment", "scheduled", "inspected",
            "assessed", "closed", "declined", "withdrawn")
CHANNELS = ("web", "phone", "programme")
REQUEST_TYPES = ("inspection", "reassessment", "question")

CHECKS = {
    "inspection_requests": {
        "status": STATUSES, "channel": CHANNELS, "request_type": REQUEST_TYPES,
    },
    "request_events": {"from_status": STATUSES, "to_status": STATUSES},
}

revision = '0009_request_checks'
down_revision = '0008_capacity'
branch_labels = None
depends_on = None


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def upgrade() -> None:
    # On SQLite the batch copies each table into a new one with the checks; env.py turns
    # foreign key enforcement off meanwhile and checks the keys before committing.
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values in columns.items():
                batch_op.create_check_constraint(op.f(f"ck_{table}_{column}"),
                                                  _in(column, values))


def downgrade() -> None:
    for table, columns in reversed(CHECKS.items()):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in reversed(columns):
                batch_op.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
