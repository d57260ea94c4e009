"""PostgreSQL: the event worker's first part in one statement too (issue 18, session 11)

`take_event`: a stored event taken for handling (marked done, its sealed payload replaced by
the redacted one, only if it is still waiting and is its user's oldest stored event), then
the sender's account locked and read with their conversation and the three probes, as
`begin_event` does after inserting a webhook event. The lock and the read move into
`lock_account`, which both functions call (`begin_event` is the same function as in 0012
otherwise): one copy of the probes. Each statement inside these (volatile) plpgsql
functions takes a fresh snapshot: the read after the lock sees what the transaction that
held the lock committed. The event worker sent the take with the lock, then the read, as two
statements. SQLite: nothing.

Revision ID: 0013_cpu11_take_event
Revises: 0012_onetrip_begin_event
"""
import importlib.util
from pathlib import Path

from alembic import op

revision = "0013_cpu11_take_event"
down_revision = "0012_onetrip_begin_event"
branch_labels = None
depends_on = None

# The account locked (no row: `locked` false, nothing else), then read by a statement of
# its own. The probes must say what `bot.dispatch_queries._ACCOUNT` says: `waits` =
# `bot.outbox_queries.WAITS` (an older message to the user is being sent, or pending and not
# held on purpose: scheduled purposes wait for their time, all of them in quiet hours),
# `held` = a push held for the user, `stored` = an event of the user waiting for the event
# worker. The status lists are literal, as in the partial indexes they use.
LOCK_ACCOUNT = """
CREATE OR REPLACE FUNCTION lock_account(p_account text, p_now timestamptz, p_quiet boolean)
RETURNS TABLE (locked boolean, account line_accounts, conversation conversation_states,
               waits boolean, held boolean, stored boolean)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM 1 FROM line_accounts a WHERE a.user_id = p_account FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT false, NULL::line_accounts, NULL::conversation_states, NULL::boolean, false, false;
    RETURN;
  END IF;
  -- A new statement, a new snapshot: current after the wait for the lock.
  RETURN QUERY
  SELECT true, a, c,
         EXISTS (SELECT 1 FROM outbox o
                 WHERE o.user_id = p_account AND o.status IN ('pending', 'sending')
                   AND (o.status = 'sending'
                        OR (o.status = 'pending'
                            AND NOT ((o.purpose LIKE 'remind:%' OR o.purpose LIKE 'notice:%')
                                     AND (o.not_before > p_now OR p_quiet))))),
         EXISTS (SELECT 1 FROM outbox o WHERE o.user_id = p_account AND o.status = 'held'),
         EXISTS (SELECT 1 FROM inbound_events e WHERE e.status = 'received' AND e.user_id = p_account)
  FROM line_accounts a LEFT JOIN conversation_states c ON c.user_id = a.user_id
  WHERE a.user_id = p_account;
END
$$
"""

# As in 0012: the event row first, then the account (a redelivery takes no lock). No row at
# all: a redelivery.
BEGIN_EVENT = """
CREATE OR REPLACE FUNCTION begin_event(
    p_event_id text, p_user_id text, p_payload text, p_status text, p_at timestamptz,
    p_handled_at timestamptz, p_account text, p_now timestamptz, p_quiet boolean)
RETURNS TABLE (new_event text, locked boolean, account line_accounts, conversation conversation_states,
               waits boolean, held boolean, stored boolean)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_new text;
BEGIN
  INSERT INTO inbound_events (event_id, user_id, payload, status, received_at, handled_at, error)
  VALUES (p_event_id, p_user_id, p_payload, p_status, p_at, p_handled_at, NULL)
  ON CONFLICT (event_id) DO NOTHING RETURNING inbound_events.event_id INTO v_new;
  IF v_new IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY SELECT v_new, r.locked, r.account, r.conversation, r.waits, r.held, r.stored
               FROM lock_account(p_account, p_now, p_quiet) AS r;
END
$$
"""

# The event row first (as `bot.dispatch_queries._TAKE_OLDEST`: still waiting, and its user's
# oldest stored event), then the account, as every path takes them. No row: not taken (it
# was handled meanwhile, or an older event of its user waits: the caller handles that first).
TAKE_EVENT = """
CREATE OR REPLACE FUNCTION take_event(
    p_taken text, p_at timestamptz, p_settled text, p_oldest_of text, p_account text,
    p_now timestamptz, p_quiet boolean)
RETURNS TABLE (taken text, locked boolean, account line_accounts, conversation conversation_states,
               waits boolean, held boolean, stored boolean)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_taken text;
BEGIN
  UPDATE inbound_events SET status = 'done', handled_at = p_at, payload = p_settled
  WHERE inbound_events.event_id = p_taken AND inbound_events.status = 'received'
    AND inbound_events.event_id = (SELECT e.event_id FROM inbound_events e
                                   WHERE e.status = 'received' AND e.user_id = p_oldest_of
                                   ORDER BY e.received_at, e.event_id LIMIT 1)
  RETURNING inbound_events.event_id INTO v_taken;
  IF v_taken IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY SELECT v_taken, r.locked, r.account, r.conversation, r.waits, r.held, r.stored
               FROM lock_account(p_account, p_now, p_quiet) AS r;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(LOCK_ACCOUNT)
        op.execute(BEGIN_EVENT)
        op.execute(TAKE_EVENT)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS take_event(text, timestamptz, text, text, text, timestamptz, boolean)")
        spec = importlib.util.spec_from_file_location("onetrip", Path(__file__).with_name("0012_onetrip_begin_event.py"))
        onetrip = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(onetrip)  # type: ignore[union-attr]
        op.execute(onetrip.FUNCTION)  # begin_event as 0012 wrote it, without lock_account
        op.execute("DROP FUNCTION IF EXISTS lock_account(text, timestamptz, boolean)")
