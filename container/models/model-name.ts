/**
 * SageMaker's rule for the model names users choose (CreateModel's ModelName pattern), which the Edge Manager agent
 * also states for LoadModel and UnLoadModel: letters and digits, with hyphens only between them.
 */
export const USER_MODEL_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;
