resource "aws_db_instance" "db" {
  identifier              = "db"
  storage_encrypted       = true
  backup_retention_period = 7
}
