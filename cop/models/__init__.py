"""All tables; importing this package registers them on ``SQLModel.metadata``."""

from cop.models.base import Editable, UTCDateTime, utcnow
from cop.models.core import (
    AuditEvent,
    Community,
    DataVersion,
    Membership,
    Notification,
    Organisation,
    OrganisationKind,
    Person,
    Role,
    User,
    Visibility,
)

__all__ = [
    "AuditEvent",
    "Community",
    "DataVersion",
    "Editable",
    "Membership",
    "Notification",
    "Organisation",
    "OrganisationKind",
    "Person",
    "Role",
    "UTCDateTime",
    "User",
    "Visibility",
    "utcnow",
]
