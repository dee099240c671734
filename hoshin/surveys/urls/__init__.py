"""URLs of surveys: ``public`` under /surveys/, ``staff`` under /staff/surveys/."""
