"""Writes of the finance app, one module per topic; each validates, writes in one transaction
and records an audit entry last. Errors are ``hoshin.finance.errors.FinanceError``."""
