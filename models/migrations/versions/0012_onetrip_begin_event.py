"""PostgreSQL: a webhook event's fixed first part in one statement (issue 18)

`begin_event`: the event row inserted (none for a redelivery), the sender's account locked,
then read with their conversation and the three probes of `bot.dispatch_queries._ACCOUNT`.
A server-side function because each statement inside a (volatile) plpgsql function takes a
fresh snapshot: the read after the lock sees what the transaction that held the lock
committed, which one SQL statement (that waited for the lock) would not. SQLite: nothing.

Revision ID: 0012_onetrip_begin_event
Revises: 0011_rollups
"""
from alembic import op

revision = "0012_onetrip_begin_event"
down_revision = "0011_rollups"
branch_labels = None
depends_on = None

# The order of the statements is the order of `bot.dispatch` (event row first, then the
# account): a redelivery waits for the event row of the transaction it repeats before it
# asks for any lock, and takes none (no deadlock with it). No row at all: a redelivery.
# `locked` false: no account yet (the caller creates it). The probes must say what
# `_ACCOUNT` says: `waits` = `bot.outbox_queries.WAITS` (an older message to the user is
# being sent, or pending and not held on purpose: scheduled purposes wait for their time,
# all of them in quiet hours), `held` = a push held for the user, `stored` = an event of
# the user waiting for the event worker. The status lists are literal, as in the partial
# indexes they use.
FUNCTION = """
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
  PERFORM 1 FROM line_accounts a WHERE a.user_id = p_account FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT v_new, false, NULL::line_accounts, NULL::conversation_states, NULL::boolean,
                        false, false;
    RETURN;
  END IF;
  -- A new statement, a new snapshot: current after the wait for the lock.
  RETURN QUERY
  SELECT v_new, true, a, c,
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


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS begin_event(text, text, text, text, timestamptz, timestamptz, text, "
                   "timestamptz, boolean)")
