-- Durable escalation jobs, written in the same transaction as the call's outcome and delivered by the worker.
create table outbox (
  id text primary key,
  call_id text not null references calls (id) on delete cascade,
  kind text not null,
  payload jsonb not null default '{}'::jsonb,
  status text not null check (status in ('pending', 'done', 'dead')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  deadline_at timestamptz not null,
  locked_until timestamptz,
  last_error text,
  steps jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (call_id, kind)
);
create index outbox_due on outbox (status, next_attempt_at);
