data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# Execution role: pulls the image, writes logs, reads the NATS secrets at task start.
resource "aws_iam_role" "execution" {
  name_prefix        = "${var.name}-exec-"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "read_nats_secrets" {
  count = length(var.nats_secret_arns) > 0 ? 1 : 0

  statement {
    actions = ["secretsmanager:GetSecretValue"]
    # A valueFrom may carry a ":json-key::" suffix; the policy needs the secret's own ARN.
    resources = distinct([for arn in values(var.nats_secret_arns) : join(":", slice(split(":", arn), 0, 7))])
  }
}

resource "aws_iam_role_policy" "read_nats_secrets" {
  count  = length(var.nats_secret_arns) > 0 ? 1 : 0
  name   = "read-nats-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.read_nats_secrets[0].json
}

# Task role: the gateway calls no AWS API, so it has no policies.
resource "aws_iam_role" "task" {
  name_prefix        = "${var.name}-task-"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}
