"""Telling people things: one service for every app, the bell, e-mail preferences, reminders, notices.

How another app uses it:

- Declare its kinds once, as a ``TextChoices`` whose codes start with the app's label, and register
  them in ``ready()``: ``notification_kinds_register(ProgrammeKind, app_label="programmes",
  email_by_default={ProgrammeKind.PARAMETER_CHANGED})``.
- Inside the service's transaction: ``notification_send(recipients=programme_users(programme,
  roles=[Role.PROGRAMME_ADMIN]), kind=ProgrammeKind.PARAMETER_CHANGED, title=…, url=…, exclude=actor)``.
  Nothing is written or mailed unless the transaction commits.
- Due reminders: ``reminder_provider_register(fn)`` in ``ready()``, where ``fn(now)`` yields
  ``Reminder(key=…, kind=…, recipients=…, title=…)``; ``manage.py send_reminders`` (cron, or Celery
  beat hourly in production) sends each key once.
"""
