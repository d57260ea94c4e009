"""Contexts the NLU tests share: a producer and a district officer in อ.เมืองเชียงราย (5701)."""

from nlu.intents import Context

PRODUCER = Context(role="producer", province_code="57", district_code="5701")
OFFICER = Context(role="district", province_code="57", district_code="5701")
PROVINCE = Context(role="province", province_code="57")
