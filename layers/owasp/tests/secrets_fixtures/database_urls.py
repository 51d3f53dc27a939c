# positive: remote host
DATABASE_URL = "postgresql://app:@@DB_PASSWORD@@@db.prod.internal:5432/app"
CACHE = "redis://default:@@DB_PASSWORD@@@cache.internal:6379/0"
# positive at low severity: local development host
DEV_URL = "mysql://root:@@DB_PASSWORD@@@localhost:3306/dev"
# placeholders and variables
EXAMPLE_URL = "postgres://user:password@host:5432/db"
ENV_URL = "postgres://app:${DB_PASSWORD}@db:5432/app"
NO_PASSWORD = "mongodb://db.internal:27017/app"
