"""Forms of the evaluation pages, one module per views module (workspace, bulk, cycles,
template_config)."""
