"""Forms of citizens' voices: ``public`` (the voice form and the status look-up),
``staff_intake`` (a voice typed in by the office), ``handling`` (routing, replies, publication,
privacy), ``publication`` (the published list's filter), ``ratings`` and ``stats``."""
