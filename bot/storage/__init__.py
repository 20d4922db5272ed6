"""SQLAlchemy 2 storage: tables, repositories, the unit of work, migrations."""
