"""SQLAlchemy 2.0 typed models of the OTOP registry and the bot's own tables."""

from models.access import AccessEntry
from models.accounts import OFFICER_ROLES, InviteCode, LineAccount, LinkAttempt, Role
from models.audit import AuditEntry
from models.base import READ_ONLY, Base, make_engine, make_session_factory, read_only, unit_of_work, utcnow
from models.epoch import RegistryEpoch
from models.rollup import AreaRollup
from models.messaging import (
    CompletenessSnapshot,
    ConversationState,
    InboundEvent,
    InboundStatus,
    OutboxMessage,
    OutboxStatus,
    RateSlot,
    ReminderLog,
    StoredMedia,
)
from models.places import District, Province, Subdistrict
from models.targets import CompletenessTarget
from models.registry import (
    Category,
    ChuanchimAward,
    ChuanchimItem,
    ChuanchimPhoto,
    ChuanchimShop,
    FundingSource,
    GovernmentSupport,
    IntellectualProperty,
    Producer,
    ProducerProject,
    ProducerType,
    Product,
    ProductAward,
    ProductKeyword,
    ProductPhoto,
    ProductProject,
    ProductStandard,
    Quadrant,
    RegistrationStatus,
    SalesChannel,
    SalesChannelKind,
    ShippingMethod,
    StarRating,
    StatusChange,
)
from models.workflow import (
    PendingChange,
    PendingChangeStatus,
    Request,
    RequestKind,
    RequestStatus,
    RequestStep,
)

__all__ = [name for name in dir() if not name.startswith("_")]
