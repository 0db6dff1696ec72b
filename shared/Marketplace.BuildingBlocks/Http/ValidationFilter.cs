using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.BuildingBlocks.Http;

/// <summary>
/// Validates every handler argument that has a FluentValidation validator (bodies and <c>[AsParameters]</c> query
/// objects alike) before the handler runs, and answers 400 with the errors per field (camelCase, as the JSON has
/// them). The set of validated arguments is worked out once per endpoint, when the endpoint is built.
/// </summary>
public static class ValidationFilter
{
    public static EndpointFilterDelegate Factory(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var checks = context.MethodInfo.GetParameters()
            .Select((parameter, index) => (index, validator: context.ApplicationServices.GetService(
                typeof(IValidator<>).MakeGenericType(parameter.ParameterType)) as IValidator))
            .Where(x => x.validator is not null)
            .Select(x => (x.index, validator: x.validator!))
            .ToArray();
        if (checks.Length == 0)
        {
            return next;
        }

        return async invocation =>
        {
            Dictionary<string, string[]>? errors = null;
            foreach (var (index, validator) in checks)
            {
                var argument = invocation.Arguments[index];
                if (argument is null)
                {
                    continue;
                }

                var result = await validator.ValidateAsync(
                    new ValidationContext<object>(argument), invocation.HttpContext.RequestAborted);
                if (result.IsValid)
                {
                    continue;
                }

                errors ??= [];
                foreach (var (field, messages) in result.ToFieldErrors())
                {
                    errors[field] = messages;
                }
            }

            return errors is null ? await next(invocation) : TypedResults.ValidationProblem(errors);
        };
    }

    /// <summary>Validation errors per field, named as the JSON names them (camelCase paths).</summary>
    public static Dictionary<string, string[]> ToFieldErrors(this FluentValidation.Results.ValidationResult result) =>
        result.Errors.GroupBy(e => FieldName(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());

    private static string FieldName(string propertyPath) =>
        string.Join('.', propertyPath.Split('.').Select(part => JsonNamingPolicy.CamelCase.ConvertName(part)));
}
