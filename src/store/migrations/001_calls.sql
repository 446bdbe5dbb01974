-- Calls and everything said and done in them: the record managers read and escalations are built from.
create table calls (
  id text primary key,
  call_sid text not null unique,
  stream_sid text,
  from_number text not null,
  to_number text not null,
  phase text not null check (phase in ('ringing', 'live', 'ended')),
  started_at timestamptz not null,
  answered_at timestamptz,
  ended_at timestamptz,
  ended_by text,
  outcome text check (outcome in ('resolved', 'escalated', 'abandoned', 'failed')),
  reason text,
  intent text,
  summary text,
  caller_wants text,
  is_verified boolean not null default false,
  handoff text,
  recording_url text,
  model text,
  details jsonb not null default '{}'::jsonb
);
create index calls_started_at on calls (started_at);

create table turns (
  call_id text not null references calls (id) on delete cascade,
  seq integer not null,
  speaker text not null check (speaker in ('caller', 'agent')),
  text text not null,
  started_ms integer,
  ended_ms integer,
  is_interrupted boolean not null default false,
  latency_ms integer,
  item_id text,
  recorded_at timestamptz not null default now(),
  primary key (call_id, seq)
);

create table usage (
  call_id text not null references calls (id) on delete cascade,
  response_id text not null,
  kind text not null default 'response' check (kind in ('response', 'transcription')),
  input_text_tokens integer not null default 0,
  input_audio_tokens integer not null default 0,
  cached_text_tokens integer not null default 0,
  cached_audio_tokens integer not null default 0,
  output_text_tokens integer not null default 0,
  output_audio_tokens integer not null default 0,
  recorded_at timestamptz not null default now(),
  primary key (call_id, response_id)
);

create table tool_calls (
  call_id text not null references calls (id) on delete cascade,
  seq integer not null,
  name text not null,
  arguments jsonb not null,
  status text not null check (status in ('ok', 'error', 'invalid', 'timeout')),
  result_summary text not null,
  latency_ms integer not null,
  started_at timestamptz not null,
  primary key (call_id, seq)
);

create table call_events (
  call_id text not null references calls (id) on delete cascade,
  seq integer not null,
  at timestamptz not null,
  name text not null,
  detail jsonb not null default '{}'::jsonb,
  primary key (call_id, seq)
);
