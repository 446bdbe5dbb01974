-- Several jobs of one kind per call: a hand-off note for the dial result, another for a voicemail or a recording.
-- `dedupe_key` tells them apart, and a webhook Twilio repeats finds its key taken and adds nothing.
alter table outbox add column dedupe_key text not null default '';
alter table outbox drop constraint outbox_call_id_kind_key;
alter table outbox add constraint outbox_call_id_kind_dedupe_key_key unique (call_id, kind, dedupe_key);
