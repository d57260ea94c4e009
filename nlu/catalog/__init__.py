"""Every intent the bot understands, declared once (`nlu.spec.IntentSpec`), grouped by file:

- `common.py`: greeting, thanks, menu, cancel, help, yes, no
- `producer.py`: a producer's own record, edits, photos, standards, requests, reminders
- `officer_area.py`: completeness, record lists, reports, area reminders
- `officer_requests.py`: the request queue, committee steps, approve / reject, closures
- `officer_records.py`: search and corrections of one record
- `account.py`: invite codes

`SPECS` maps each name to its spec; `RULE_ORDER` lists the specs with rules, lowest priority
first (actions before the topics they mention).
"""

from __future__ import annotations

from ..spec import ANYONE, IntentSpec, spec
from . import common, officer_area, officer_records, officer_requests, producer

REDEEM_CODE = spec(
    "account.redeem_code", "ใส่รหัสเชิญ", ANYONE, "handlers.accounts.redeem:redeem_code", changes_data=True,
    priority=17, slots=("code",),
    patterns=(r"รหัสเชิญ|โค้ดเชิญ|redeem|invite code|(?:ได้|มี)\S{0,12}(?:รหัส|โค้ด).{0,30}(?:จาก|มา)|ให้(?:รหัส|โค้ด)\S{0,6}มา|ส่ง(?:รหัส|โค้ด)\S{0,6}มา|^(?:รหัส|โค้ด|code)\s*:?\s*[a-z0-9]{2,5}-?[a-z0-9]{2,5}\s*$|(?:ใส่|กรอก|พิมพ์)\s*(?:รหัส|โค้ด)",),
)
UNKNOWN = spec("unknown", "ไม่เข้าใจ", ANYONE, "handlers.core:unknown", priority=99)

_ALL: tuple[IntentSpec, ...] = (
    common.SPECS + producer.SPECS + officer_area.SPECS + officer_requests.SPECS + officer_records.SPECS
    + (REDEEM_CODE, UNKNOWN)
)
SPECS: dict[str, IntentSpec] = {s.name: s for s in _ALL}
assert len(SPECS) == len(_ALL), "an intent is declared twice"
RULE_ORDER: tuple[IntentSpec, ...] = tuple(sorted((s for s in _ALL if s.patterns or s.whole), key=lambda s: s.priority))
