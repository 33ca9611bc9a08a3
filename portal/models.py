"""Every model of the portal, so that Base.metadata knows the whole schema.

Imported by the migrations, the tests and anything else that needs the full schema.
It sits at the top, beside the app: importing every domain module is its whole job, and
`db` below must not depend on the modules that build on it.
"""

from __future__ import annotations

from portal.accounts import models as accounts
from portal.audit import models as audit
from portal.capacity import models as capacity
from portal.db import Base
from portal.intake import models as intake
from portal.letters import models as letters
from portal.outbox import models as outbox
from portal.register import models as register
from portal.requests import models as requests
from portal.triage import models as triage
from portal.web import ratelimit

MODULES = (accounts, audit, capacity, intake, letters, outbox, register, requests, triage,
           ratelimit)
metadata = Base.metadata
