"""URLs of citizens' voices: ``public`` under /voices/, ``staff`` under /staff/voices/."""
