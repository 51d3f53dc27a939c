resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 10
  encrypted         = true
}

resource "aws_efs_file_system" "shared" {
  creation_token = "shared"
  encrypted      = true
}
