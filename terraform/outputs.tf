output "alb_dns_name" {
  description = "DNS name of the ALB (point the clients' hostname at it)."
  value       = aws_lb.this.dns_name
}

output "alb_arn" {
  description = "ARN of the ALB."
  value       = aws_lb.this.arn
}

output "target_group_arn" {
  description = "ARN of the gateway's target group."
  value       = aws_lb_target_group.this.arn
}

output "ecr_repository_url" {
  description = "URL of the ECR repository to push the image to."
  value       = aws_ecr_repository.this.repository_url
}

output "ecs_service_name" {
  description = "Name of the ECS service (for aws ecs update-service)."
  value       = aws_ecs_service.this.name
}

output "task_definition_arn" {
  description = "ARN of the current task definition revision."
  value       = aws_ecs_task_definition.this.arn
}

output "log_group_name" {
  description = "CloudWatch log group of the gateway containers."
  value       = aws_cloudwatch_log_group.this.name
}

output "task_security_group_id" {
  description = "Security group of the tasks: allow it on the NATS servers' security group (port 4222)."
  value       = aws_security_group.tasks.id
}
