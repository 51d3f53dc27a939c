resource "aws_rds_cluster" "main" {
  cluster_identifier  = "main"
  engine              = "aurora-postgresql"
  storage_encrypted   = true
  deletion_protection = false
}

resource "aws_lb" "front" {
  name = "front"
}
