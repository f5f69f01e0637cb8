# This directory is a root module (terraform init/plan/apply here). To use it as a child
# module instead, delete this file and pass the provider from the caller.
provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge({ "app" = var.name, "managed-by" = "terraform" }, var.tags)
  }
}

data "aws_partition" "current" {}
