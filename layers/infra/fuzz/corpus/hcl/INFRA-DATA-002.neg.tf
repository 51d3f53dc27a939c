resource "aws_rds_cluster" "main" {
  cluster_identifier  = "main"
  engine              = "aurora-postgresql"
  storage_encrypted   = true
  deletion_protection = true
}

resource "aws_lb" "front" {
  name                       = "front"
  enable_deletion_protection = true
}
