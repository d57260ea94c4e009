"""The intent declarations (nlu/catalog/) agree with the handler table: one place per intent."""

import importlib

import pytest

import handlers
from handlers.registry import REGISTRY
from models import Role
from nlu.catalog import SPECS
from nlu.spec import ANYONE, LINKED, OFFICER, PRODUCER, UNLINKED

handlers.load_all()
_ROLES = {OFFICER: {Role.DISTRICT, Role.PROVINCE, Role.CENTRAL}, PRODUCER: {Role.PRODUCER}, UNLINKED: {None},
          LINKED: set(Role), ANYONE: {None, *Role}, "province": {Role.PROVINCE}, "central": {Role.CENTRAL}}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_declared_handler_is_the_registered_one(name):
    spec = SPECS[name]
    module, func = spec.handler.split(":")
    importlib.import_module(module)
    got = REGISTRY[name].func
    # Handlers made by a factory (officer.updates) are closures named like the declaration.
    assert (got.__module__, got.__name__) == (module, func), f"{name}: declared {spec.handler}, registered {got}"


@pytest.mark.parametrize("name", sorted(SPECS))
def test_declared_users_may_use_the_handler(name):
    spec = SPECS[name]
    who = set().union(*(_ROLES[w] for w in spec.who))
    assert who <= set(REGISTRY[name].roles), f"{name}: declared for {who}, handler allows {REGISTRY[name].roles}"


def test_every_label_fits_a_quick_reply():
    for spec in SPECS.values():
        assert 0 < len(spec.label.encode("utf-16-le")) // 2 <= 20, spec.name
