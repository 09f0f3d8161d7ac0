"""All tables; importing this package registers them on ``SQLModel.metadata``."""

from cop.models.actions import Action
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
from cop.models.invitations import Invitation
from cop.models.practices import (
    Practice,
    PracticeImage,
    PracticeOrganisation,
    PracticeTag,
    PracticeWorkshop,
    ReviewStatus,
    TagKind,
)
from cop.models.standards import SelfAssessment, Standard
from cop.models.workshops import (
    AgendaItem,
    Attachment,
    Attendance,
    AttendanceRole,
    Outcome,
    OutcomeKind,
    Workshop,
    WorkshopFormat,
    WorkshopKind,
    WorkshopStatus,
)

__all__ = [
    "Action",
    "AgendaItem",
    "Attachment",
    "Attendance",
    "AttendanceRole",
    "AuditEvent",
    "Community",
    "DataVersion",
    "Editable",
    "Invitation",
    "Membership",
    "Notification",
    "Organisation",
    "OrganisationKind",
    "Outcome",
    "OutcomeKind",
    "Person",
    "Practice",
    "PracticeImage",
    "PracticeOrganisation",
    "PracticeTag",
    "PracticeWorkshop",
    "ReviewStatus",
    "Role",
    "SelfAssessment",
    "Standard",
    "TagKind",
    "UTCDateTime",
    "User",
    "Visibility",
    "Workshop",
    "WorkshopFormat",
    "WorkshopKind",
    "WorkshopStatus",
    "utcnow",
]
