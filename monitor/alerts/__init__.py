"""Weekly staleness alerts and due-soon reminders: facts, messages, outbox, SMTP."""
