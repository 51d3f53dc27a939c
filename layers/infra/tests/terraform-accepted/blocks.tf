terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

/* A block comment
   over lines */
// A line comment
# A hash comment

import {
  to = aws_s3_bucket.logs
  id = "acme-logs"
}

moved {
  from = aws_s3_bucket.old
  to   = aws_s3_bucket.logs
}

removed {
  from = aws_instance.legacy
  lifecycle {
    destroy = false
  }
}

check "health" {
  data "http" "site" {
    url = "https://example.com"
  }
  assert {
    condition     = data.http.site.status_code == 200
    error_message = "site down"
  }
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
  lifecycle {
    prevent_destroy = true
    precondition {
      condition     = length(var.name) > 0
      error_message = "name is empty"
    }
  }
}

output "arn" {
  value     = provider::aws::arn_parse(aws_s3_bucket.logs.arn).account_id
  sensitive = false
}
